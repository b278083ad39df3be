import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  AID_APPLICATION_OPEN_STATUSES, AID_HELP_KIND_LABELS, AID_TYPE_LABELS, HARDSHIP_LEVEL_LABELS, MAX_APPLICATION_DOCUMENTS,
  type AidApplicationView, type AidDocumentView,
} from '@union/shared';
import { answerAidApplication, deleteAidDocument, getAidApplication, listMyAidApplications, uploadAidDocument, withdrawAidApplication } from '../../api/aid-applications';
import { errorMessage } from '../../api/client';
import { Banner, Button, DateText, Field, LoginPanel, Money, Page, PagedList, Tap } from '../../components';
import { useLoadOnShow, usePagedList } from '../../hooks';
import { pickDocuments } from '../../platform/files';
import { useSession } from '../../session';
import { DocumentList, StatusTag, Timeline } from './application-ui';
import { Row, go } from './ui';

const PAGE_SIZE = 5;

/** One application of the worker: status, result, the question to answer, documents, the timeline. */
function MyApplication({ app, onChanged }: { app: AidApplicationView; onChanged: (a?: AidApplicationView) => void }) {
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const p = `my-app-${app.id}`;
  const open = AID_APPLICATION_OPEN_STATUSES.includes(app.status);
  /** Re-reads this application and replaces it in the list, so that a banner never announces a change the list does not show yet. */
  const reloadSelf = async () => onChanged((await getAidApplication(app.id)) as AidApplicationView);

  const submitAnswer = async () => {
    if (!answer.trim()) return setError('请填写补充说明');
    const { confirm } = await Taro.showModal({ title: '提交补充说明', content: '提交后工会将继续办理您的申请。' });
    if (!confirm) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await answerAidApplication(app.id, answer.trim());
      setAnswer('');
      setBanner({ kind: 'success', text: '已提交补充说明' });
      onChanged(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  /** 撤回申请: confirmed in a dialog; the server ends the application and deletes its documents. */
  const withdraw = async () => {
    const { confirm } = await Taro.showModal({
      title: '撤回申请', content: '撤回后工会将停止办理，已上传的材料将被彻底删除、不能恢复。如仍需帮扶可重新申请。确认撤回？', confirmText: '撤回',
    });
    if (!confirm) return;
    setBusy(true);
    setBanner(null);
    try {
      const updated = await withdrawAidApplication(app.id);
      setBanner({ kind: 'success', text: '申请已撤回，材料已删除' });
      onChanged(updated);
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  /** Deletes one of the worker's documents after confirmation (file and record removed on the server). */
  const deleteDocument = async (d: AidDocumentView) => {
    const { confirm } = await Taro.showModal({ title: '删除材料', content: `删除「${d.name}」后文件将从系统中彻底删除、不能恢复。确认删除？`, confirmText: '删除' });
    if (!confirm) return;
    setBusy(true);
    setBanner(null);
    try {
      await deleteAidDocument(app.id, d.id);
      await reloadSelf();
      setBanner({ kind: 'success', text: `已删除「${d.name}」` });
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const addDocuments = async () => {
    const picked = await pickDocuments(MAX_APPLICATION_DOCUMENTS - app.documents.length);
    if (!picked.length) return;
    setBusy(true);
    setBanner(null);
    const failed: string[] = [];
    for (const f of picked) {
      try {
        await uploadAidDocument(app.id, f.path, f.name);
      } catch (e) {
        failed.push(`${f.name}：${errorMessage(e)}`);
      }
    }
    try {
      await reloadSelf();
    } catch (e) {
      failed.push(`刷新失败：${errorMessage(e)}`);
    }
    setBusy(false);
    setBanner(failed.length ? { kind: 'error', text: failed.join('；') } : { kind: 'success', text: `已上传${picked.length}份材料` });
  };

  return (
    <View className='card' data-testid={p} id={p}>
      <View className='row review-card-head'>
        <Text className='card-title'>{app.helpKinds.map((k) => AID_HELP_KIND_LABELS[k]).join('、')}</Text>
        <StatusTag status={app.status} id={`${p}-status`} />
      </View>
      <View className='muted'>{app.org.name} · <DateText value={app.submittedAt} /> 提交</View>
      {banner && <Banner kind={banner.kind} message={banner.text} id={`${p}-banner`} />}
      {app.status === 'info_requested' && app.question && (
        <View className='app-section'>
          <View className='app-question' id={`${p}-question`}>工会请您补充：{app.question}</View>
          <Field
            id={`${p}-answer`}
            label='补充说明'
            required
            hint='需要时可同时补传材料'
            multiline
            maxlength={1000}
            value={answer}
            error={error}
            onInput={(v) => { setAnswer(v); setError(null); }}
          />
          <Button id={`${p}-answer-submit`} disabled={busy} loading={busy} onClick={() => void submitAnswer()}>提交补充说明</Button>
        </View>
      )}
      {app.status === 'approved' && (
        <View className='app-section' id={`${p}-result`}>
          <Row label='认定结果' value={app.approvedLevel ? HARDSHIP_LEVEL_LABELS[app.approvedLevel] : '—'} />
          {app.approvedPayout && (
            <Row label='一次性救助' value={<>{AID_TYPE_LABELS[app.approvedPayout.aidType]} <Money fen={app.approvedPayout.amountFen} />（审批后发放）</>} />
          )}
          <Tap className='link' role='link' id={`${p}-notice`} onClick={() => go(`/pages/aid/notice?orgCode=${app.org.code}`)}>查看公示</Tap>
        </View>
      )}
      {app.status === 'rejected' && app.rejectReason && (
        <View className='app-question app-section' id={`${p}-reason`}>未获批准：{app.rejectReason}</View>
      )}
      <Text className='field-label app-section'>证明材料</Text>
      <DocumentList documents={app.documents} idPrefix={p} onDelete={app.status !== 'approved' && !busy ? (d) => void deleteDocument(d) : undefined} />
      {app.status === 'approved' && app.documents.length > 0 && <View className='muted' id={`${p}-retained`}>材料作为帮扶档案依据按规定保存。</View>}
      {open && app.documents.length < MAX_APPLICATION_DOCUMENTS && (
        <Button kind='plain' size='small' id={`${p}-add-doc`} className='app-gap' disabled={busy} onClick={() => void addDocuments()}>补传材料</Button>
      )}
      {app.status === 'withdrawn' && <View className='muted app-gap' id={`${p}-withdrawn`}>您已撤回该申请，材料已删除。</View>}
      <Text className='field-label app-section'>办理进度</Text>
      <Timeline events={app.events} idPrefix={p} />
      {open && (
        <Button kind='danger' size='small' id={`${p}-withdraw`} className='app-gap' disabled={busy} onClick={() => void withdraw()}>撤回申请</Button>
      )}
    </View>
  );
}

/** 我的申请: the worker's aid applications, each with its status timeline; answers a request for more information. */
export default function MyAidApplicationsPage() {
  const { user, refresh } = useSession();
  const list = usePagedList((_: null, page: number) => listMyAidApplications({ page, pageSize: PAGE_SIZE }));
  const reload = () => void list.reload(null);
  useLoadOnShow(reload, !!user);

  if (!user) {
    return (
      <Page title='我的申请'>
        <LoginPanel roles={['user']} onLoggedIn={() => void refresh()} />
      </Page>
    );
  }
  return (
    <Page title='我的申请'>
      <PagedList
        list={list}
        onRetry={reload}
        moreId='my-apps-more'
        emptyText='还没有帮扶申请。家里遇到困难，可以在线申请工会帮扶'
        emptyAction={<Button id='my-apps-apply' onClick={() => go('/pages/aid/apply')}>去申请帮扶</Button>}
        renderItem={(a) => (
          <MyApplication
            key={a.id}
            app={a}
            onChanged={(updated) => (updated ? list.setItems((prev) => prev?.map((x) => (x.id === updated.id ? updated : x)) ?? prev) : reload())}
          />
        )}
      />
    </Page>
  );
}
